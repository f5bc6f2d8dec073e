// Read a podcast feed with Podcast Index's partytime (the parser behind podcastindex.org) and
// print what it understood as one JSON object: the channel's Podcasting 2.0 tags, the live
// items and, per item, its guid, type, license, date and alternate enclosures.
// Usage: node read_feed.js FILE
"use strict";
const fs = require("fs");
const { parseFeed } = require("podcast-partytime");

const feed = parseFeed(fs.readFileSync(process.argv[2], "utf8"));
if (!feed) {
  console.error("partytime could not read the feed");
  process.exit(1);
}
process.stdout.write(
  JSON.stringify({
    title: feed.title,
    funding: feed.podcastFunding || [],
    txt: feed.podcastTxt || [],
    license: feed.license || null,
    trailers: feed.trailers || [],
    liveItems: feed.podcastLiveItems || [],
    items: feed.items.map((item) => ({
      guid: item.guid,
      title: item.title,
      episodeType: item.itunesEpisodeType || null,
      license: item.license || null,
      pubDate: item.pubDate || null,
      alternateEnclosures: item.alternativeEnclosures || [],
    })),
  }),
);
