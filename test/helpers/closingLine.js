/**
 * A jest reporter that ends the run with one plain line, `jest: N passed, N failed, N skipped`,
 * the form any CI log reader understands, whatever it knows of jest's own summary.
 */
class ClosingLine {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = ClosingLine;
