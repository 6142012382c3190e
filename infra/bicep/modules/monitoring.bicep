// Log Analytics (the app's logs and traces) and Application Insights over it. Local authentication is off:
// the app sends telemetry with its managed identity (Monitoring Metrics Publisher, in access.bicep).
param location string
param tags object
param workspaceName string
param insightsName string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output insightsName string = insights.name
output workspaceId string = workspace.id
// The connection string names the resource, not a secret: with local auth off, ingestion needs an Entra token.
output insightsConnectionString string = insights.properties.ConnectionString
