import { Badge, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily:
    'Inter, "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif',
  headings: { fontWeight: '650' },
  components: {
    // Sentence case reads better for statuses with a time in them ("Throttled until 14:05").
    Badge: Badge.extend({ defaultProps: { tt: 'none' } }),
  },
});
