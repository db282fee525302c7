export interface Config {
  environments?: {
    /**
     * GitLab CI for the environments plugin. Hosts, API URLs and tokens come from
     * `integrations.gitlab`.
     */
    gitlab?: {
      /** How long one request to GitLab may take, in milliseconds. Defaults to 10000. */
      timeoutMs?: number;
    };
  };
}
