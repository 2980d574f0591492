/**
 * One `<name> ... </name>` block of a Tars config file: its `key=value` parameters, its raw lines
 * (what `getDomainLines` returns, e.g. the `host:port` lines of `<elk><nodes>`) and its sub-domains.
 * Parameters and sub-domains are separate namespaces, as in TarsCpp's TC_Config.
 */
export class ConfigDomain {
  readonly name: string;
  /** Parameters in first-seen order; a repeated key keeps its last value. */
  readonly params = new Map<string, string>();
  /** Every non-domain line as written (trimmed), in file order, repeated keys included. */
  readonly lines: string[] = [];
  readonly domains = new Map<string, ConfigDomain>();

  constructor(name: string) {
    this.name = name;
  }

  /** The sub-domain `name`, created when absent (a repeated domain merges into the first one). */
  child(name: string): ConfigDomain {
    let domain = this.domains.get(name);
    if (!domain) {
      domain = new ConfigDomain(name);
      this.domains.set(name, domain);
    }
    return domain;
  }

  setParam(key: string, value: string, line: string = `${key}=${value}`): void {
    this.params.set(key, value);
    this.lines.push(line);
  }

  addBareLine(line: string): void {
    this.lines.push(line);
  }

  clone(): ConfigDomain {
    const copy = new ConfigDomain(this.name);
    for (const [k, v] of this.params) copy.params.set(k, v);
    copy.lines.push(...this.lines);
    for (const [k, d] of this.domains) copy.domains.set(k, d.clone());
    return copy;
  }
}
