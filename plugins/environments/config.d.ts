export interface Config {
  environments?: {
    /**
     * Marks pipelines, deployments and SLOs in the UI as generated demo data (the demo
     * configuration, app-config.demo.yaml, sets it).
     * @visibility frontend
     */
    demoData?: boolean;
  };
}
