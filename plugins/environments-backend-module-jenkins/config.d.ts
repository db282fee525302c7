export interface Config {
  environments?: {
    /** Jenkins for the environments plugin. */
    jenkins?: {
      /**
       * Jenkins servers. `jenkins.io/job-full-name: name:folder/job` picks one by name; without a
       * name, the one called `default` (or the only one).
       */
      instances: Array<{
        name: string;
        /** e.g. `https://jenkins.acme.test` */
        baseUrl: string;
        username?: string;
        /**
         * The user's API token (Jenkins exempts token requests from CSRF crumbs).
         * @visibility secret
         */
        apiKey?: string;
        /**
         * Extra headers sent with every request. Every value is a secret (`@visibility` would
         * mark only the map, not what is in it).
         * @deepVisibility secret
         */
        headers?: { [name: string]: string };
      }>;
      /**
       * Build parameters that name the environment a build deploys to; such builds are the
       * deployments. Defaults to ENVIRONMENT, DEPLOY_ENV, TARGET_ENV.
       */
      environmentParameters?: string[];
      /** Build parameters that hold the version deployed. Defaults to VERSION, RELEASE, TAG. */
      versionParameters?: string[];
      /** How long one request to Jenkins may take, in milliseconds. Defaults to 10000. */
      timeoutMs?: number;
    };
  };
}
