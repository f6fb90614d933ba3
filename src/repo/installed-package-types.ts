// The installed-package facts (src/repo/installed-package.ts finds them). Type-only, so model.ts can
// name them without importing the module that reads the file system.

export interface InstalledPackageFacts {
  name: string;
  version?: string;
  /** The package directory (`…/node_modules/<pkg>`). */
  dir: string;
  packageJson: string;
  /** The command or argument that led here, or `npx cache`. */
  resolvedFrom: string;
  author?: string;
  maintainers: string[];
  repository?: string;
  bugs?: string;
  /** A SECURITY.md (or .txt, .rst…) at the package's top level. */
  securityPolicy?: string;
  serverJson?: { file: string; name?: string; repository?: string };
}
