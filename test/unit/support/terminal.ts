// Test support: what a terminal shows after some output — text, newlines, carriage returns, and the cursor-up, clear
// line and clear-to-end escapes the human reporter's live lines use (colours are kept as written).
const ESC = String.fromCharCode(27);
/** The pieces output is cut into: a newline, a carriage return, cursor up, clear to the end, clear the line, text. */
const CONTROLS = new RegExp(`(\r|\n|${ESC}\\[\\d*A|${ESC}\\[J|${ESC}\\[2K)`);
const CURSOR_UP = new RegExp(`^${ESC}\\[(\\d*)A$`);

export class Screen {
  private lines: string[] = [""];
  private row = 0;
  private column = 0;

  write(text: string): void {
    for (const part of text.split(CONTROLS)) {
      if (part === "\n") {
        this.row++;
        this.column = 0;
        if (this.row === this.lines.length) this.lines.push("");
      } else if (part === "\r") {
        this.column = 0;
      } else if (part === "\x1b[J") {
        this.lines = this.lines.slice(0, this.row + 1);
        this.lines[this.row] = this.lines[this.row]!.slice(0, this.column);
      } else if (part === "\x1b[2K") {
        this.lines[this.row] = "";
      } else if (CURSOR_UP.test(part)) {
        this.row = Math.max(0, this.row - Number(CURSOR_UP.exec(part)![1] || 1));
      } else if (part) {
        const line = this.lines[this.row]!;
        this.lines[this.row] = line.slice(0, this.column) + part + line.slice(this.column + part.length);
        this.column += part.length;
      }
    }
  }

  /** The screen's lines, top to bottom (the last one is where the cursor is). */
  text(): string[] {
    return [...this.lines];
  }
}
