import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * A scratch directory for one test file: created before its tests, removed after them.
 * `write(name, text)` puts a file in it and returns the file's path.
 */
export function useTempDir(prefix: string): { readonly path: () => string; readonly write: (name: string, text: string) => string } {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    path: () => dir,
    write: (name, text) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}
