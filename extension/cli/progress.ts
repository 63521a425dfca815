/**
 * Download progress on stderr: on a terminal one bar redrawn in place (bytes, rate, ETA, files
 * done); otherwise plain lines (one when a file starts and one when it ends), so logs and CI stay
 * readable. Notes (retries, resumption, restarts) are always their own line.
 */
import { safe } from './report.js';

function human(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

export class Progress {
  private done = 0;
  private bytes = 0;
  private readonly started = Date.now();
  private timer?: ReturnType<typeof setInterval>;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly totalBytes: number,
    private readonly totalFiles: number,
    private readonly tty: boolean,
  ) {
    if (tty) {
      this.timer = setInterval(() => this.draw(), 200);
      this.timer.unref();
    }
  }

  static human = human;

  start(path: string, size: number): void {
    if (!this.tty) this.line(`downloading ${safe(path)} (${human(size)})`);
  }

  add(n: number): void {
    this.bytes += n;
  }

  /** A file finished (either way); `what` is its one-line result. */
  finish(what: string, skippedBytes = 0): void {
    this.done++;
    this.bytes += skippedBytes;
    this.line(what);
  }

  note(message: string): void {
    this.line(safe(message));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }

  private line(text: string): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
    this.drawn = false;
    if (this.tty) this.draw();
  }

  private draw(): void {
    const secs = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = this.bytes / secs;
    const frac = this.totalBytes > 0 ? Math.min(1, this.bytes / this.totalBytes) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const eta = rate > 0 && this.totalBytes > this.bytes ? `${Math.ceil((this.totalBytes - this.bytes) / rate)} s` : '-';
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${human(this.bytes)}/${human(this.totalBytes)} ${human(rate)}/s ETA ${eta} ${this.done}/${this.totalFiles} files`;
    this.out.write(`\r\x1b[2K${bar}`);
    this.drawn = true;
  }
}
