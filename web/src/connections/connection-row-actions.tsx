import { ActionIcon, Button, Group, Menu } from '@mantine/core';
import { IconBan, IconDots, IconPlayerPlay, IconStar, IconTrash } from '@tabler/icons-react';
import type { Connection } from '@contracts';

export type ConnectionAction = 'test' | 'make_primary' | 'revoke' | 'disconnect';

interface ConnectionRowActionsProps {
  readonly connection: Connection;
  readonly onAction: (action: ConnectionAction, connection: Connection) => void;
}

/** Test in plain sight; the rarer and destructive actions in a menu. */
export function ConnectionRowActions({ connection, onAction }: ConnectionRowActionsProps) {
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      <Button
        size="xs"
        variant="light"
        leftSection={<IconPlayerPlay size={14} />}
        onClick={() => onAction('test', connection)}
      >
        Test
      </Button>
      <Menu position="bottom-end" withinPortal shadow="md" width={200}>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${connection.name}`}>
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            leftSection={<IconStar size={16} />}
            disabled={connection.isPrimary || connection.revoked}
            onClick={() => onAction('make_primary', connection)}
          >
            Make primary
          </Menu.Item>
          <Menu.Item
            leftSection={<IconBan size={16} />}
            disabled={connection.revoked}
            onClick={() => onAction('revoke', connection)}
          >
            Revoke
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item
            color="red"
            leftSection={<IconTrash size={16} />}
            onClick={() => onAction('disconnect', connection)}
          >
            Disconnect
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
