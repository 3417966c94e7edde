// The code under test in the three examples: contain every Windows host that matches a filter.
// It pages through the host ids, fetches their details, and contains the Windows ones.
"use strict";

async function containWindowsHosts(hosts, filter) {
  const ids = [];
  let offset;
  do {
    const page = await hosts.queryDevicesByFilterScroll({ filter, limit: 10, ...(offset ? { offset } : {}) });
    if (page.status_code !== 200) throw new Error(`query failed: ${page.status_code}`);
    ids.push(...page.body.resources);
    offset = page.body.meta.pagination.offset;
  } while (offset);
  const details = await hosts.postDeviceDetailsV2({ ids });
  if (details.status_code !== 200) throw new Error(`details failed: ${details.status_code}`);
  const windows = details.body.resources.filter((d) => d.platform_name === "Windows").map((d) => d.device_id);
  if (windows.length > 0) await hosts.performActionV2({ action_name: "contain", ids: windows });
  return windows;
}

module.exports = { containWindowsHosts };
