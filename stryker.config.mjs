// StrykerJS over the engine's contract files (issue 37): `npm run test:mutation`, on demand, not in CI; docs/testing.md.
// The command runner runs the unit tier's files that load these modules in one uvu guard process, through tsx, so
// each mutant is the sandbox's instrumented .ts source itself (no bundle in between). Left out of the pattern:
// engine-imports (reads import statements, never runs the code), local-converge (real /bin/sh, 4 s a run),
// probe-memo and stat-batch (the facts layer under the runner, 1-2 s each), openssh-transport (the transport).
const engineTests = [
  "become",
  "cli-flags",
  "cli-options",
  "cli-run",
  "cli-steps",
  "events-doc",
  "exec-timeout",
  "exit-codes",
  "graph",
  "hardening-synth",
  "host-chains",
  "host-lock",
  "host-play",
  "host-work",
  "human-report",
  "install-ahead",
  "lb-pair-synth",
  "masking",
  "plan",
  "play-needs",
  "profile",
  "report-output",
  "report-page",
  "role-vars",
  "roles-synth",
  "run-history",
  "run-lifecycle",
  "run-metrics",
  "run-origin",
  "runner",
  "runs-command",
  "secrets-file",
  "selection",
  "valid-vars-memo",
  "vars",
];

// MUTATION_TESTS=a,b runs only those unit files: a group's own, for `--mutate` of that group (docs/testing.md).
const tests = process.env.MUTATION_TESTS?.split(",") ?? engineTests;

export default {
  testRunner: "command",
  commandRunner: {
    command: `node --import tsx test/uvu-guard.ts test/unit "^(${tests.join("|")})\\.test\\.ts$"`,
  },
  mutate: [
    "lib/report/*.ts",
    "lib/runner/run.ts",
    "lib/runner/plan.ts",
    "lib/runner/host-chains.ts",
    "lib/runner/host-play.ts",
    "lib/cli/*.ts",
  ],
  ignorePatterns: [".cache", ".lab", "reports", "app/dist", "bench/results", "vagrant/.vagrant"],
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  // Stryker rewrites the tsconfig's outside paths with TypeScript's JS API, which TypeScript 7 does not have; this one
  // has none to rewrite, so it names a file that does not exist and the sandbox keeps tsconfig.json as it is.
  tsconfigFile: "tsconfig.stryker-skips-rewrite.json",
  tempDirName: ".cache/stryker-tmp",
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  cleanTempDir: true,
};
