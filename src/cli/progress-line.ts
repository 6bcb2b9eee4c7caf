/**
 * A one-line progress bar for long commands. On a terminal it redraws in place; in a log (CI, a
 * pipe) it prints a line every 10 % so the output stays readable.
 */
export class ProgressLine {
  private lastDecile = -1;
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly label: string,
  ) {}

  update(fraction: number, detail: string): void {
    const clamped = Math.min(1, Math.max(0, fraction));
    if (this.out.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(clamped * width);
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(clamped * 100)}% ${detail}   `,
      );
      return;
    }
    const decile = Math.floor(clamped * 10);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.out.write(`${this.label}: ${decile * 10}% ${detail}\n`);
  }

  done(detail: string): void {
    if (this.out.isTTY) this.out.write(`\r${this.label}: 100% ${detail}${' '.repeat(40)}\n`);
    else this.out.write(`${this.label}: 100% ${detail}\n`);
  }
}
