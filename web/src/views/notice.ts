/** The page's one alert line for errors and confirmations (role="alert" reads it out). */
export class Notice {
  private readonly box = document.querySelector<HTMLElement>('#notice')!;

  error(message: string): void {
    this.show(message, 'error');
  }

  info(message: string): void {
    this.show(message, 'info');
  }

  clear(): void {
    this.box.hidden = true;
    this.box.textContent = '';
  }

  private show(message: string, kind: 'error' | 'info'): void {
    this.box.textContent = message;
    this.box.dataset.kind = kind;
    this.box.hidden = false;
  }
}
