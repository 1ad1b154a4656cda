// The resource factory handed to roles as `r`: every resource kind, templates resolved in the role.
import { join } from "node:path";
import { certificate } from "./certificate.ts";
import { command } from "./command.ts";
import { directory } from "./directory.ts";
import { file, type FileOptions } from "./file.ts";
import { line } from "./line.ts";
import { packages } from "./package.ts";
import { service, serviceAction } from "./service.ts";
import { serviceFresh } from "./service-fresh.ts";
import { symlink } from "./symlink.ts";
import { systemdDropIn, systemdUnit } from "./systemd-unit.ts";
import { template } from "./template.ts";
import { renderTemplate } from "../template.ts";
import { group, user } from "./user.ts";

export type { Resource, Change } from "./resource.ts";

/** Resource constructors; `template` reads from the role's templates/ directory. */
export function resourceFactory(templatesDir: string, templateData: Record<string, unknown>) {
  return {
    file,
    directory,
    line,
    symlink,
    package: packages,
    service,
    serviceAction,
    serviceFresh,
    systemdUnit,
    systemdDropIn,
    user,
    group,
    command,
    certificate,
    /** Render templates/<name> with the role's vars (and `data` names) to a string, e.g. for systemdUnit. */
    render: (name: string, data: Record<string, unknown> = {}) =>
      renderTemplate(join(templatesDir, name), { ...templateData, ...data }).content,
    /** Render templates/<name> with the role's vars (and `data` names) into `path`. */
    template: (path: string, name: string, options: FileOptions & { data?: Record<string, unknown> } = {}) => {
      const { data, ...fileOptions } = options;
      return template(path, join(templatesDir, name), { ...templateData, ...data }, fileOptions);
    },
  };
}

export type ResourceFactory = ReturnType<typeof resourceFactory>;
