// Owned by issue 3 (content packs): the default pack in our own words.
import type { ContentPack } from "./pack.js";

export const DEFAULT_PACK: ContentPack = {
  id: "default",
  name: "RTI² implementation (default)",
  focusTopics: [],
  driverGroups: [],
  stages: ["Exploration", "Installation", "Initial Implementation", "Full Implementation"],
  statusRatings: ["Not yet in place", "Partly in place", "In place", "Not sure"],
};
