import type http from "node:http";

/** How long a connection closed on an unread body still takes (and discards) what the client sends. */
const LINGER_MS = 2_000;

/**
 * An answer sent before the body arrived in full (a refused token, a body over the limit) closes the connection:
 * to reuse it, Node would otherwise read and discard whatever the client still sends. The close is a lingering
 * one: a FIN after the answer, then a short wait, because closing a socket with unread input resets it, and a
 * reset can destroy the answer before the client has read it.
 */
export function closeIfBodyUnread(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.headers["transfer-encoding"] === undefined && !Number(req.headers["content-length"])) return;
  res.once("finish", () => {
    if (req.complete) return;
    const socket = req.socket;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
    socket.once("close", () => clearTimeout(timer));
  });
}
