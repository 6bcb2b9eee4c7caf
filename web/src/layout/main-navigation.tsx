import type { ComponentType } from 'react';
import { NavLink as MantineNavLink, Stack } from '@mantine/core';
import {
  IconArrowsShuffle,
  IconInbox,
  IconListCheck,
  IconPlugConnected,
  IconSettings,
  IconUsers,
} from '@tabler/icons-react';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { type PageKey, pagesFor } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';

const ICONS: Readonly<Record<PageKey, ComponentType<{ size?: number; stroke?: number }>>> = {
  connections: IconPlugConnected,
  sources: IconInbox,
  'sync-log': IconListCheck,
  'matching-strategies': IconArrowsShuffle,
  'crm-settings': IconSettings,
  users: IconUsers,
};

/** The left navigation: only the pages the signed-in user's role may open. */
export function MainNavigation({ onNavigate }: { readonly onNavigate: () => void }) {
  const { user } = useSession();
  const { pathname } = useLocation();
  return (
    <Stack gap={4} component="nav" aria-label="Main">
      {pagesFor(user.role).map((page) => {
        const Icon = ICONS[page.key];
        return (
          <MantineNavLink
            key={page.key}
            component={RouterNavLink}
            to={page.path}
            label={page.label}
            leftSection={<Icon size={18} stroke={1.75} />}
            active={pathname === page.path || pathname.startsWith(`${page.path}/`)}
            onClick={onNavigate}
            variant="light"
          />
        );
      })}
    </Stack>
  );
}
