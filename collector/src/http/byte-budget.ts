/**
 * Bytes of request bodies held at once, under a ceiling: the sink's memory bound, decided before a
 * body is decompressed further or decoded. A request alone is always admitted, so that a ceiling
 * below the largest body never refuses everything.
 */
export class ByteBudget {
  private held = 0;

  constructor(readonly ceiling: number) {}

  get inUse(): number {
    return this.held;
  }

  /**
   * Takes `bytes` more for a request already holding `heldByCaller`, when they fit under the ceiling
   * or no other request holds any; false when they do not.
   */
  tryTake(bytes: number, heldByCaller = 0): boolean {
    if (this.held > heldByCaller && this.held + bytes > this.ceiling) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }
}
