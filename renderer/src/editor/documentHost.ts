/**
 * Where file text lives. In the app these are Monaco models (editor/monacoDocuments.ts);
 * tests and the first moments before Monaco loads use the in-memory host below. Version
 * numbers follow Monaco's alternative version id: undoing back to a saved state returns
 * the saved number, so "dirty" goes away as users expect.
 */
export interface DocumentHost {
  /** Creates or replaces the document for `path`; returns its version. */
  open(path: string, content: string): number;
  getText(path: string): string | undefined;
  getVersion(path: string): number | undefined;
  close(path: string): void;
}

export class InMemoryDocumentHost implements DocumentHost {
  private readonly documents = new Map<string, { text: string; version: number }>();
  private nextVersion = 1;

  open(path: string, content: string): number {
    const version = this.nextVersion++;
    this.documents.set(path, { text: content, version });
    return version;
  }

  getText(path: string): string | undefined {
    return this.documents.get(path)?.text;
  }

  getVersion(path: string): number | undefined {
    return this.documents.get(path)?.version;
  }

  /** Simulates typing: new text, new version. */
  edit(path: string, content: string): number {
    const version = this.nextVersion++;
    this.documents.set(path, { text: content, version });
    return version;
  }

  close(path: string): void {
    this.documents.delete(path);
  }
}

let host: DocumentHost = new InMemoryDocumentHost();

export function getDocumentHost(): DocumentHost {
  return host;
}

export function setDocumentHost(next: DocumentHost): void {
  host = next;
}
