/** Gathers each `not ok` line of the TAP stream with the indented YAML block that follows it. */
export class TapFailures {
  #blocks = [];
  #open = null;

  push(line) {
    const indent = line.length - line.trimStart().length;
    if (this.#open && line.trim() !== '' && indent <= this.#open.indent) this.#open = null;
    if (this.#open) {
      this.#open.lines.push(line);
      return;
    }
    if (/^\s*not ok \d+ - /.test(line)) {
      this.#open = { indent, lines: [line] };
      this.#blocks.push(this.#open.lines);
    }
  }

  blocks() {
    return this.#blocks;
  }
}
