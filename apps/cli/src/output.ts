/** A command's answer: one JSON document for scripts (`--json`), text for people. */
export interface Answer {
  json: unknown;
  text: string;
}

export function printAnswer(answer: Answer, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(answer.json, null, 2)}\n` : `${answer.text}\n`);
}
