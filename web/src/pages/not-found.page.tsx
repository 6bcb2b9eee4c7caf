import { Button, EmptyState, Paper } from '@mantine/core';
import { IconCompass } from '@tabler/icons-react';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Paper withBorder radius="md" p="xl">
      <EmptyState
        icon={<IconCompass size={28} />}
        variant="light"
        color="gray"
        title="There is no such page"
        description="The link may be old, or mistyped."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/">
            Go to the start page
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}
