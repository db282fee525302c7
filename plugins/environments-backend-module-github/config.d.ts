export interface Config {
  environments?: {
    /**
     * GitHub Actions for the environments plugin. Hosts, API URLs and credentials (a GitHub App
     * or a token) come from `integrations.github`.
     */
    github?: {
      /** How long one request to GitHub may take, in milliseconds. Defaults to 10000. */
      timeoutMs?: number;
    };
  };
}
