/** What the compose service's calls yield and answer; pure, shared with the contract. */

/** One line of compose's output: a step of one object (`Container shop-web-1  Started`), or any other line. */
export type ComposeProgressLine = { kind: 'step'; object: string; name: string; status: string } | { kind: 'line'; text: string };

export type ComposeUpItem = ComposeProgressLine | { kind: 'done'; project: string };

/** How a project was taken down or restarted: compose with its file, or its containers directly (the file is gone). */
export type ComposeDownMethod = 'compose' | 'removed';
