import type { Hosts } from "falconts/hosts";
/** Contains the Windows hosts that match `filter`; resolves to their ids. */
export declare function containWindowsHosts(hosts: Hosts, filter: string): Promise<string[]>;
