#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";

import packageJson from "../package.json" with { type: "json" };
import { login, logout } from "./commands/login";
import { serveMcp } from "./commands/mcp";
import { addMemo, listMemos, searchMemos } from "./commands/memos";
import type { ImportFormatName } from "./commands/transfer";
import { exportAll, IMPORT_FORMATS, importPath } from "./commands/transfer";
import { describeError } from "./errors";
import type { Answer } from "./output";
import { printAnswer } from "./output";
import { contactedServer, storedSession } from "./session";

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number of 1 or more.");
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];
const jsonOption = () => new Option("--json", "print one JSON document (for scripts) instead of text");

/** Runs a command that answers, printing the answer as text or JSON. */
const answering =
  <A extends unknown[]>(run: (...args: A) => Promise<Answer>) =>
  async (...args: A) => {
    const command = args.at(-1) as Command;
    printAnswer(await run(...args), Boolean(command.opts<{ json?: boolean }>().json));
  };

const program = new Command()
  .name("aimo")
  .description("Your AIMO memos from the terminal, and an MCP server for assistants.")
  .version(packageJson.version)
  .showHelpAfterError("(run aimo help for the commands)")
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "aimo: ")) });

program
  .command("login")
  .description(
    "log in and keep a personal API token for this machine (in $XDG_CONFIG_HOME/aimo, mode 0600); the password is asked for, or read from stdin when piped",
  )
  .option("-s, --server <url>", "the AIMO server (default: the last one, else http://127.0.0.1:3000)")
  .option("-e, --email <email>", "your account's email")
  .option("--password <password>", "the password (prefer the prompt or stdin: arguments show in ps)")
  .option("--token <token>", "keep this personal API token instead of logging in")
  .option("--name <name>", "the name of the token created (default: aimo CLI on <host>)")
  .addOption(jsonOption())
  .action(answering((options: Parameters<typeof login>[0]) => login(options)));

program
  .command("logout")
  .description("revoke the token this CLI created and forget the login")
  .addOption(jsonOption())
  .action(answering(() => logout()));

program
  .command("add")
  .description("add a memo: the text as arguments, or piped on stdin")
  .argument("[text...]", "the memo's text (Markdown)")
  .option("-t, --tag <name>", "a tag (repeat for more); created when new", collect, [])
  .option("-c, --category <name>", "the category, by name; created when new")
  .option("-f, --file <path>", "attach a file (repeat for more)", collect, [])
  .option("--public", "make the memo public")
  .addOption(jsonOption())
  .action(
    answering(async (text: string[], options: Parameters<typeof addMemo>[2]) =>
      addMemo(await storedSession(), text, options),
    ),
  );

program
  .command("list")
  .description("the newest memos first")
  .option("-n, --limit <n>", "how many", positiveInt, 20)
  .addOption(jsonOption())
  .action(answering(async (options: { limit: number }) => listMemos(await storedSession(), options.limit)));

program
  .command("search")
  .description("find memos by meaning and by keyword")
  .argument("<query...>", "what to look for")
  .addOption(
    new Option("-m, --mode <mode>", "hybrid (both), semantic or keyword")
      .choices(["hybrid", "semantic", "keyword"])
      .default("hybrid"),
  )
  .option("-n, --limit <n>", "how many hits", positiveInt, 20)
  .addOption(jsonOption())
  .action(
    answering(
      async (query: string[], { mode, limit }: { mode: "hybrid" | "semantic" | "keyword"; limit: number }) =>
        searchMemos(await storedSession(), query.join(" "), { mode, limit }),
    ),
  );

program
  .command("export")
  .description("download everything you own as one zip (memos as Markdown, attachments, settings)")
  .argument("[file]", "where to write it (a file or a folder; default: the server's name, here)")
  .addOption(jsonOption())
  .action(
    answering(async (file: string | undefined, options: { json?: boolean }) =>
      exportAll(await storedSession(), file, Boolean(options.json)),
    ),
  );

program
  .command("import")
  .description(
    "import an AIMO export, Markdown files, a memos export or a flomo export; running it again resumes",
  )
  .argument("<path>", "a file, or a folder (packed as a zip and sent)")
  .addOption(
    new Option("--format <format>", "what the file is (the server also reads it from the content)").choices(
      Object.keys(IMPORT_FORMATS),
    ),
  )
  .addOption(jsonOption())
  .action(
    answering(async (path: string, options: { format?: ImportFormatName; json?: boolean }) =>
      importPath(await storedSession(), path, options.format, Boolean(options.json)),
    ),
  );

program
  .command("mcp")
  .description(
    "serve the AIMO tools over MCP on stdin/stdout, as the logged-in user (for Claude Desktop, Cursor, …)",
  )
  .action(async () => serveMcp(await storedSession(), packageJson.version));

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`aimo: ${describeError(error, contactedServer())}\n`);
  process.exitCode = 1;
}
