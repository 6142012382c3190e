// The one storage account: the workflow's containers (docs/architecture.md), the Functions host's own state and
// task hub, and the container Flex Consumption deploys the app package from. Shared key access is off, so only
// Entra ID principals with data roles can read or write.
param location string
param tags object
param accountName string

// The containers of the design (Cki.Contracts BlobLayout) and the app package container.
var workflowContainers = ['checkpoints', 'data', 'runs', 'integrated']
var deploymentContainer = 'app-package'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    allowCrossTenantReplication: false
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in concat(workflowContainers, [deploymentContainer]): {
  parent: blobs
  name: name
  properties: { publicAccess: 'None' }
}]

output accountName string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output deploymentContainer string = deploymentContainer
