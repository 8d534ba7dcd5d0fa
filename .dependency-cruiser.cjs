/**
 * Module boundaries, checked by `npm run lint` (and so by CI).
 * A lib is reached only through its index.ts; libs never import apps; the API never
 * loads the inference engine or onnxruntime; storage is a leaf; no cycles.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles hide wrong arrows; fix the design instead of using forwardRef.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-internals-from-another-lib',
      severity: 'error',
      comment: "A lib may use another lib only through that lib's index.ts (its @atelier/* alias).",
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'lib-internals-from-outside',
      severity: 'error',
      comment: "Apps, tests, migrations and scripts use a lib only through its index.ts (its @atelier/* alias).",
      from: { path: '^(apps|test|migrations|scripts)/' },
      to: { path: '^libs/[^/]+/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-are-separate-deployables',
      severity: 'error',
      comment: 'The API and the worker talk only through the queue, Redis events and database rows.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'api-never-imports-inference',
      severity: 'error',
      comment: 'Models run in the worker only: apps/api must not import libs/inference.',
      from: { path: '^apps/api/' },
      to: { path: '^libs/inference/' },
    },
    {
      name: 'onnxruntime-only-in-inference',
      severity: 'error',
      comment: 'Only libs/inference loads onnxruntime-node, so the API cannot reach it even indirectly.',
      from: { pathNot: '^libs/inference/' },
      to: { path: 'onnxruntime' },
    },
    {
      name: 'storage-is-a-leaf',
      severity: 'error',
      comment: 'libs/storage imports no other Atelier lib except the platform kernel.',
      from: { path: '^libs/storage/' },
      to: { path: '^libs/', pathNot: ['^libs/storage/', '^libs/platform/'] },
    },
    {
      name: 'workflows-never-runs-models',
      comment: 'libs/workflows (node specs, validation, the executor) is read by the API: nodes reach models, sharp and storage only through the NodeRuntime the worker gives them.',
      severity: 'error',
      from: { path: '^libs/workflows/' },
      to: { path: ['^libs/(inference|storage|jobs|auth)/', 'node_modules/sharp/', 'onnxruntime'] },
    },
    {
      name: 'models-is-a-leaf',
      severity: 'error',
      comment: 'libs/models (manifests and the catalog) is read by the API and the worker: it imports only the platform kernel.',
      from: { path: '^libs/models/' },
      to: { path: '^libs/', pathNot: ['^libs/models/', '^libs/platform/'] },
    },
    {
      name: 'platform-is-the-bottom',
      severity: 'error',
      comment: 'libs/platform (config, database, logging, errors) depends on no other Atelier code.',
      from: { path: '^libs/platform/' },
      to: { path: '^(apps|libs|migrations)/', pathNot: '^libs/platform/' },
    },
    {
      name: 'client-stands-alone',
      severity: 'error',
      comment: 'The typed client is for outside users: it may not import server code.',
      from: { path: '^client/' },
      to: { path: '^(apps|libs|migrations)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
