/** Where the CLI writes; passed in so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}
