/** Layering rules from docs/ARCHITECTURE.md: imports point down only. */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'only-cli-imports-app',
      severity: 'error',
      from: { pathNot: ['^src/cli/', '^src/app/'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'emulators-stand-alone',
      comment:
        'Emulators import only shared code, so each stays an independent reference of the real service.',
      severity: 'error',
      from: { path: '^src/emulators/' },
      to: { path: '^src/', pathNot: ['^src/emulators/', '^src/shared/'] },
    },
    {
      name: 'emulators-independent-of-each-other',
      severity: 'error',
      from: { path: '^src/emulators/([^/]+)/' },
      to: { path: '^src/emulators/', pathNot: '^src/emulators/$1/' },
    },
    {
      name: 'connectors-not-emulators',
      severity: 'error',
      from: { path: '^src/connectors/' },
      to: { path: '^src/(emulators|store)/' },
    },
    {
      name: 'store-not-connectors',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/connectors/' },
    },
    {
      name: 'pure-core-no-io',
      comment: 'domain and matching are pure: no node I/O modules, no adapters.',
      severity: 'error',
      from: { path: '^src/(domain|matching)/' },
      to: { path: ['^node:(fs|net|http|https|child_process)', '^src/(store|connectors|http|sync|app|cli)/'] },
    },
    {
      name: 'shared-is-leaf',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '\\.test\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.test\\.ts$' },
  },
};
