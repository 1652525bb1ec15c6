/**
 * Firebreak's architecture, checked by `npm test` (scripts/test.sh → `npm run arch`). Each rule says
 * why it exists; `npm run arch` prints the offending import with the rule's name.
 *
 * Parsed with swc: dependency-cruiser reads TypeScript through `typescript` < 7 or swc, and this
 * project compiles with TypeScript 7 (native, no JavaScript API).
 * @type {import('dependency-cruiser').IConfiguration}
 */
/** The incident core: ids, facts and plain text; no surface, no wiring. */
const CORE = '^src/(incidents|runbooks|diagnostics|executors|timeline|verification|postmortem|workers)/';
/** Where people and machines reach the core: Slack today, the Alertmanager webhook and a console next. */
const SURFACES = '^src/(slack|alerts|console)/';
const DEV_ONLY = '^src/(sandbox|fake-slack|dev|demo)/';

module.exports = {
  forbidden: [
    {
      name: 'core-knows-no-surface',
      comment:
        'The incident core speaks ids, facts and plain text; each surface (src/slack, src/alerts, …) ' +
        'renders them, src/app wires them and src/http serves them. The core never reaches back.',
      severity: 'error',
      from: { path: CORE },
      to: { path: ['^src/(slack|alerts|console|http|app)/', '(^|/)node_modules/@slack/'] },
    },
    {
      name: 'surfaces-stay-apart',
      comment:
        'A surface talks to the core, never to another surface: what an alert means for Slack is a ' +
        'fact on the incident, not an import.',
      severity: 'error',
      from: { path: SURFACES },
      to: { path: SURFACES, pathNot: '^src/$1/' },
    },
    {
      name: 'only-slack-uses-slack',
      comment: "Bolt and web-api are the Slack surface's own business: src/slack is their only user.",
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/slack/', DEV_ONLY] },
      to: { path: '(^|/)node_modules/@slack/' },
    },
    {
      name: 'product-excludes-dev-tools',
      comment:
        'The bot (what `npm run build` emits) never imports the sandbox, the fake Slack, the demo or ' +
        'the dev helpers: they serve `npm run demo` and the tests only.',
      severity: 'error',
      from: { path: '^src/', pathNot: DEV_ONLY },
      to: { path: DEV_ONLY },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Folders form layers: two folders that import each other are one folder, or one is in the wrong place.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      comment: 'A cycle between modules makes load order matter and hides a missing seam.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too: a type from src/slack in the core is still Slack.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    includeOnly: ['^src/', '(^|/)node_modules/@slack/'],
  },
};
