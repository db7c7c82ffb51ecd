import type http from "node:http";

/**
 * An answer sent before the body arrived in full (a refused token, a body over the limit) closes the connection:
 * to reuse it, Node would otherwise read and discard whatever the client still sends.
 */
export function closeIfBodyUnread(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.headers["transfer-encoding"] === undefined && !Number(req.headers["content-length"])) return;
  res.once("finish", () => {
    if (!req.complete) req.socket.end(() => req.socket.destroy());
  });
}
