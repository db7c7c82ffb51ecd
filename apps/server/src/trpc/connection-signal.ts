import { getEventListeners } from "node:events";
import type http from "node:http";
import type { Socket } from "node:net";

interface ConnectionAbort {
  controller: AbortController;
  /** Requests on the connection whose answer has not been ended yet. */
  unanswered: number;
}

const connections = new WeakMap<Socket, ConnectionAbort>();

/**
 * Like the adapter's request signal: aborted when the client leaves before the answer was sent (the connection
 * closes with the answer not ended). One per keep-alive connection rather than per request: an AbortController
 * costs about 5 µs, a tenth of a page of memos' own work. `answered` is to be called once the answer was ended.
 * A signal that a finished request left listeners on is not handed out again, so they do not pile up on a
 * long-lived connection. What a procedure starts to outlive its answer must not take the signal: a later
 * request's client leaving would abort it.
 */
export function requestSignal(req: http.IncomingMessage): { signal: AbortSignal; answered: () => void } {
  const socket = req.socket;
  let connection = connections.get(socket);
  if (!connection) {
    const created: ConnectionAbort = { controller: new AbortController(), unanswered: 0 };
    socket.once("close", () => {
      if (created.unanswered > 0) created.controller.abort();
    });
    connections.set(socket, (connection = created));
  }
  const state = connection;
  const { signal } = state.controller;
  state.unanswered++;
  return {
    signal,
    answered: () => {
      state.unanswered--;
      if (state.unanswered === 0 && getEventListeners(signal, "abort").length > 0) {
        state.controller = new AbortController();
      }
    },
  };
}
