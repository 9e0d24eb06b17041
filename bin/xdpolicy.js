#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build`, which `npm ci` runs through the `prepare` script.
import('../dist/cli/main.js').then(
  (m) => m.runProcess(process.argv.slice(2)),
  (err) => {
    process.stderr.write(`xdpolicy: cannot load the compiled CLI (${err.message}); run \`npm run build\` first.\n`);
    process.exitCode = 2;
  },
);
