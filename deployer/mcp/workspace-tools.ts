// The MCP tools over the files workspace (docs/workspace.md): list, read, write, rename and delete a draft's
// files one at a time, then build it into a version. A file's content travels as text ("utf-8") or, for
// bytes that are not UTF-8 text (images, fonts), as base64 ("base64"): the encoding is always declared.

import { z } from "zod";
import { PulseNameSchema } from "../../platform/api-schemas.ts";
import { contentTypeFor, toBase64 } from "../../platform/static-files.ts";
import {
  buildFromWorkspace,
  deleteWorkspaceFile,
  listWorkspace,
  readWorkspaceBytes,
  renameWorkspaceFile,
  writeWorkspaceBytes,
} from "../../platform/api-client/workspace-files.ts";
import { type ToolDefinition, ToolError } from "./tools.ts";

const ENCODINGS = ["utf-8", "base64"] as const;
type Encoding = (typeof ENCODINGS)[number];

const pulseArg = PulseNameSchema.describe("The pulse's name (its subdomain)");
const pathArg = z
  .string()
  .min(1)
  .max(512)
  .describe('The file\'s path in the workspace, with plain slashes: "index.ts", "lib/greet.ts", "public/logo.png"');

/** The bytes as text when they are UTF-8 (and text was not refused), else as base64. */
function encodeContent(bytes: Uint8Array, wanted: Encoding | undefined): { encoding: Encoding; content: string } {
  if (wanted !== "base64") {
    try {
      return { encoding: "utf-8", content: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
    } catch {
      if (wanted === "utf-8")
        throw new ToolError("invalid_request", 'The file is not UTF-8 text: read it with encoding "base64"');
    }
  }
  return { encoding: "base64", content: toBase64(bytes) };
}

function decodeContent(content: string, encoding: Encoding): Uint8Array {
  if (encoding === "utf-8") return new TextEncoder().encode(content);
  try {
    return Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
  } catch {
    throw new ToolError("invalid_request", 'content is not valid base64 (encoding "base64")');
  }
}

export const WORKSPACE_TOOLS: ToolDefinition[] = [
  {
    name: "list_files",
    title: "List the files workspace",
    description:
      "The pulse's draft files (path, size, SHA-256, last change), by path. Files under public/ become the version's " +
      "static files, served at the pulse's URL before run(); the others are its source. Build with deploy_from_workspace.",
    input: { pulse: pulseArg },
    readOnly: true,
    async run(args: { pulse: string }, { api }) {
      return { files: await listWorkspace(api, args.pulse) };
    },
  },
  {
    name: "read_file",
    title: "Read a workspace file",
    description:
      'A draft file\'s content: as text (encoding "utf-8") when it is UTF-8, else as base64 (encoding "base64"). ' +
      "Ask for an encoding to force one.",
    input: {
      pulse: pulseArg,
      path: pathArg,
      encoding: z.enum(ENCODINGS).optional().describe("Default: utf-8 for text, base64 for anything else"),
    },
    readOnly: true,
    async run(args: { pulse: string; path: string; encoding?: Encoding }, { api }) {
      const bytes = await readWorkspaceBytes(api, args.pulse, args.path);
      return {
        path: args.path,
        size: bytes.byteLength,
        contentType: contentTypeFor(args.path),
        ...encodeContent(bytes, args.encoding),
      };
    },
  },
  {
    name: "write_file",
    title: "Write a workspace file",
    description:
      'Adds or replaces a draft file. content is text (encoding "utf-8", the default) or the bytes as base64 ' +
      '(encoding "base64": images and other binary files, which belong under public/).',
    input: {
      pulse: pulseArg,
      path: pathArg,
      content: z.string().describe("The file's content, in the declared encoding"),
      encoding: z.enum(ENCODINGS).default("utf-8"),
    },
    idempotent: true,
    async run(args: { pulse: string; path: string; content: string; encoding: Encoding }, { api }) {
      const bytes = decodeContent(args.content, args.encoding);
      return { file: await writeWorkspaceBytes(api, args.pulse, args.path, bytes) };
    },
  },
  {
    name: "rename_file",
    title: "Rename a workspace file",
    description: "Moves a draft file to a new path; a file already there is replaced.",
    input: { pulse: pulseArg, path: pathArg, to: pathArg.describe("The new path") },
    async run(args: { pulse: string; path: string; to: string }, { api }) {
      return { file: await renameWorkspaceFile(api, args.pulse, args.path, args.to) };
    },
  },
  {
    name: "delete_file",
    title: "Delete a workspace file",
    description: "Removes a file from the draft (what is live is not touched until the next deploy_from_workspace).",
    input: { pulse: pulseArg, path: pathArg },
    async run(args: { pulse: string; path: string }, { api }) {
      return deleteWorkspaceFile(api, args.pulse, args.path);
    },
  },
  {
    name: "deploy_from_workspace",
    title: "Build and deploy the workspace",
    description:
      "Builds a version from the draft (public/ -> static files, the rest -> source, `main` the entry file) and, unless " +
      "deploy is false, makes it live. Answers like deploy_version: a build error is error.code build_failed with " +
      "error.diagnostics; a source file that is not UTF-8 text is source_invalid.",
    input: {
      pulse: pulseArg,
      main: z.string().min(1).default("index.ts").describe("The entry file (default index.ts)"),
      deploy: z.boolean().default(true).describe("Make it live (default true)"),
      spa: z.boolean().optional().describe("Answer unknown GET paths with public/index.html"),
      runPrefix: z.string().optional().describe('Only paths under this prefix reach run(), e.g. "/api/"'),
    },
    async run(args: { pulse: string; main: string; deploy: boolean; spa?: boolean; runPrefix?: string }, { api }) {
      const { pulse, ...options } = args;
      const built = await buildFromWorkspace(api, pulse, options);
      return { live: args.deploy && !built.approval, ...built };
    },
  },
];
