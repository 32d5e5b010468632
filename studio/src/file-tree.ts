// The workspace's flat list of paths as a tree of folders (collapsible on the page) and files, folders first,
// each level by name; and which files the page previews as images instead of opening them as text.

import type { WorkspaceFile } from "../../platform/api-client/workspace-files.ts";
import { contentTypeFor, toBase64 } from "../../platform/static-files.ts";

export interface FolderNode {
  kind: "folder";
  name: string;
  /** "public/img/": the folder's path with its trailing slash. */
  path: string;
  children: TreeNode[];
}

export interface FileNode {
  kind: "file";
  name: string;
  file: WorkspaceFile;
}

export type TreeNode = FolderNode | FileNode;

export function treeOf(files: WorkspaceFile[]): TreeNode[] {
  const root: FolderNode = { kind: "folder", name: "", path: "", children: [] };
  for (const file of files) {
    const parts = file.path.split("/");
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      const path = `${folder.path}${part}/`;
      let next = folder.children.find((c): c is FolderNode => c.kind === "folder" && c.path === path);
      if (!next) {
        next = { kind: "folder", name: part, path, children: [] };
        folder.children.push(next);
      }
      folder = next;
    }
    folder.children.push({ kind: "file", name: parts.at(-1)!, file });
  }
  sortTree(root);
  return root.children;
}

function sortTree(folder: FolderNode): void {
  folder.children.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "folder" ? -1 : 1));
  for (const child of folder.children) if (child.kind === "folder") sortTree(child);
}

/** The images the page shows as pictures: the types every browser draws in an <img>. */
const PREVIEWED = new Set(["image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"]);

/** The image's content type when the page previews the file as a picture, else undefined. */
export function imageTypeOf(path: string): string | undefined {
  const type = contentTypeFor(path);
  return PREVIEWED.has(type) ? type : undefined;
}

/**
 * The bytes as a data: URL. The page's CSP allows images from 'self' and data: only (no blob:), and the file's
 * own URL needs the bearer token, which an <img> cannot send. An SVG drawn by <img> runs no script.
 */
export function dataUrlOf(bytes: Uint8Array, type: string): string {
  return `data:${type};base64,${toBase64(bytes)}`;
}

/** The file's text when its bytes are UTF-8, else null (a binary file is not opened in the editor). */
export function textOf(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
