/** An invoke the host refuses because of what the renderer sent; the message is shown to the user. */
export class BridgeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeInputError';
  }
}
