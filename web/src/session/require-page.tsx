import type { ReactNode } from 'react';
import { EmptyState, Paper } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { type PageKey, mayOpen, ROLE_LABELS } from './role-access.js';
import { useSession } from './session-context.js';

/** A page the role may not open says so, rather than showing an empty table of 403s. */
export function RequirePage({ page, children }: { readonly page: PageKey; readonly children: ReactNode }) {
  const { user } = useSession();
  if (mayOpen(user.role, page)) return children;
  return (
    <Paper withBorder radius="md" p="xl">
      <EmptyState
        icon={<IconLock size={28} />}
        variant="light"
        color="gray"
        title="This page is not available to your role"
        description={`You are signed in as ${ROLE_LABELS[user.role]}. Ask an admin if you need it.`}
      />
    </Paper>
  );
}
