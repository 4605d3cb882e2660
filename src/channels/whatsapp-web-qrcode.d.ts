// qrcode-terminal ships no types: the one function the whatsapp-web channel uses.
declare module 'qrcode-terminal' {
  export function generate(input: string, opts: { small?: boolean }, cb: (qr: string) => void): void;
  const qrcode: { generate: typeof generate };
  export default qrcode;
}
