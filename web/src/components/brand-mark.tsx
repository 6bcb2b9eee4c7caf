import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';

/** The product name with its mark, in the header and on the sign-in card. */
export function BrandMark({ size = 'md' }: { readonly size?: 'md' | 'lg' }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <ThemeIcon size={size === 'lg' ? 40 : 30} radius="md" variant="filled">
        <IconArrowsExchange size={size === 'lg' ? 24 : 18} stroke={2} />
      </ThemeIcon>
      <Text fw={700} size={size === 'lg' ? 'xl' : 'lg'}>
        Leadbridge
      </Text>
    </Group>
  );
}
