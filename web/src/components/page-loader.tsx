import { Center, Group, Loader, Text } from '@mantine/core';

/** A spinner with words, so a screen reader and a person both know what is being loaded. */
export function PageLoader({
  label,
  fullPage = false,
}: {
  readonly label: string;
  readonly fullPage?: boolean;
}) {
  return (
    <Center mih={fullPage ? '100vh' : 200} role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Group>
    </Center>
  );
}
