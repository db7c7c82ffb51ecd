import net from "node:net";

export interface RawExchange {
  /** The status code the server answered with; null when it closed without answering. */
  status: number | null;
  /** The whole response as text. */
  response: string;
  /** Body bytes written before the server answered or closed. */
  sent: number;
  /** Whether the server ended or reset the connection (rather than this side hanging up). */
  closedByServer: boolean;
}

/**
 * One request over a plain socket, for what fetch cannot do: send a head that promises a body and then stop,
 * stream a body chunk by chunk while watching for an early answer, or hang up mid-body.
 * `body` yields chunks; writing stops as soon as the server answers or closes. With `hangUp`, the socket is
 * destroyed after the last chunk instead of waiting for an answer. With `untilClosed`, it waits for the server to
 * close the connection after answering (the test's timeout bounds the wait).
 */
export async function rawRequest(
  url: string,
  head: string,
  body: Iterable<Buffer> = [],
  options: { chunked?: boolean; hangUp?: boolean; untilClosed?: boolean } = {},
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const received: Buffer[] = [];
  let answered = false;
  let closedByServer = false;
  socket.on("data", (data: Buffer) => {
    received.push(data);
    answered = true;
  });
  const done = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("end", () => (closedByServer = true));
  socket.on("error", () => (closedByServer = true));

  let sent = 0;
  const write = (data: Buffer | string) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed || !socket.write(data)) socket.once("drain", resolve).once("close", resolve);
      else resolve();
    });
  await write(head);
  for (const chunk of body) {
    if (answered || closedByServer) break;
    const framed = options.chunked
      ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
      : chunk;
    await write(framed);
    sent += chunk.length;
  }
  if (options.hangUp) {
    socket.destroy();
  } else {
    if (options.chunked && !answered && !closedByServer) await write("0\r\n\r\n");
    // The answer is complete once the server closes, or once a Content-Length worth of body has arrived.
    await (options.untilClosed ? done : Promise.race([done, answerComplete(socket, received)]));
    socket.destroy();
  }
  await done;
  const response = Buffer.concat(received).toString("latin1");
  const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return { status: status ? Number(status[1]) : null, response, sent, closedByServer };
}

function answerComplete(socket: net.Socket, received: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const text = Buffer.concat(received).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: (\d+)/i.exec(text);
      if (end >= 0 && length && Buffer.byteLength(text.slice(end + 4), "latin1") >= Number(length[1])) {
        socket.off("data", check);
        resolve();
      }
    };
    socket.on("data", check);
    check();
  });
}

/** `n` chunks of `size` bytes. */
export function* chunks(size: number, n: number, fill = 0x61): Generator<Buffer> {
  const chunk = Buffer.alloc(size, fill);
  for (let i = 0; i < n; i++) yield chunk;
}
