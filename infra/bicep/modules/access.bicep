// Every role assignment of the deployment, each the least its principal needs:
// - the Function App's identity: on its own account blob, queue and table data (host containers, Durable task hub,
//   the package); on the data account blob data and queues (the workflow's containers, the blob triggers' poison
//   queue); telemetry ingestion; and Jobs in the jobs namespace only;
// - the compute identity: on the data account's containers only, read on checkpoints and data, write on runs and
//   integrated; nothing on the app's account, so a job cannot rewrite the workflow's code or its task hub;
// - the kubelet identity: image pulls from the registry;
// - the Event Grid topic's identity: writes undeliverable events into the dead-letter container only;
// - the deployer (optional): cluster admin, to create the jobs namespace and its service account; blob data on the
//   data account, to upload checkpoints as docs/deploy.md shows.
param hostStorageAccountName string
param dataStorageAccountName string
param registryName string
param clusterName string
param insightsName string
param jobsNamespace string
param functionPrincipalId string
param computePrincipalId string
param kubeletObjectId string
param deployerPrincipalId string
param eventGridPrincipalId string
param deadLetterContainer string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'
}

resource hostAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageAccountName
}

resource dataAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageAccountName
}

resource dataBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: dataAccount
  name: 'default'
}

resource hostBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: hostAccount
  name: 'default'
}

resource deadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: hostBlobs
  name: deadLetterContainer
}

resource checkpoints 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: dataBlobs
  name: 'checkpoints'
}

resource datasets 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: dataBlobs
  name: 'data'
}

resource runs 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: dataBlobs
  name: 'runs'
}

resource integrated 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: dataBlobs
  name: 'integrated'
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' existing = {
  name: clusterName
}

// A namespace of the cluster as an Azure RBAC scope ({cluster id}/namespaces/{name}). It is not an ARM resource
// type, so Bicep has no schema for it; only its id is used.
#disable-next-line BCP081
resource jobsScope 'Microsoft.ContainerService/managedClusters/namespaces@2024-09-01' existing = {
  parent: cluster
  name: jobsNamespace
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

// The dispatcher's rights in the jobs namespace: create, read, update (resume under the jobs-in-flight cap) and delete Jobs, read Pods (a crashed pod's reason).
// The built-in AKS RBAC Writer role would also open Deployments, Services, Secrets and more.
resource jobDispatcherRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'cki-job-dispatcher')
  properties: {
    // Custom role names are unique in the whole tenant: the subscription and group keep them apart.
    roleName: 'CKI job dispatcher (${subscription().subscriptionId}/${resourceGroup().name})'
    description: 'Create, read, update (resume a suspended Job) and delete batch/v1 Jobs, and read Pods, in the namespace it is assigned on.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.ContainerService/managedClusters/batch/jobs/read'
          'Microsoft.ContainerService/managedClusters/batch/jobs/write'
          'Microsoft.ContainerService/managedClusters/batch/jobs/delete'
          'Microsoft.ContainerService/managedClusters/pods/read'
        ]
        notDataActions: []
      }
    ]
  }
}

resource functionHostBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostAccount.id, functionPrincipalId, roles.storageBlobDataContributor)
  scope: hostAccount
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource functionHostQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostAccount.id, functionPrincipalId, roles.storageQueueDataContributor)
  scope: hostAccount
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource functionHostTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostAccount.id, functionPrincipalId, roles.storageTableDataContributor)
  scope: hostAccount
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

resource functionDataBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataAccount.id, functionPrincipalId, roles.storageBlobDataContributor)
  scope: dataAccount
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource functionDataQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataAccount.id, functionPrincipalId, roles.storageQueueDataContributor)
  scope: dataAccount
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource functionTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, functionPrincipalId, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource functionJobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobsScope.id, functionPrincipalId, 'cki-job-dispatcher')
  scope: jobsScope
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: jobDispatcherRole.id
  }
}

// The jobs read their inputs (checkpoints, datasets) and write their outputs (a run's working area, the integrated
// model); nothing else.
resource computeReadCheckpoints 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(checkpoints.id, computePrincipalId, roles.storageBlobDataReader)
  scope: checkpoints
  properties: {
    principalId: computePrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
  }
}

resource computeReadData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(datasets.id, computePrincipalId, roles.storageBlobDataReader)
  scope: datasets
  properties: {
    principalId: computePrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
  }
}

resource computeWriteRuns 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(runs.id, computePrincipalId, roles.storageBlobDataContributor)
  scope: runs
  properties: {
    principalId: computePrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource computeWriteIntegrated 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(integrated.id, computePrincipalId, roles.storageBlobDataContributor)
  scope: integrated
  properties: {
    principalId: computePrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource eventGridDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetters.id, eventGridPrincipalId, roles.storageBlobDataContributor)
  scope: deadLetters
  properties: {
    principalId: eventGridPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource kubeletPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, kubeletObjectId, roles.acrPull)
  scope: registry
  properties: {
    principalId: kubeletObjectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

resource deployerAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(cluster.id, deployerPrincipalId, roles.aksRbacClusterAdmin)
  scope: cluster
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.aksRbacClusterAdmin)
  }
}

// So that the deployer can upload a family's checkpoints with `az storage blob upload --auth-mode login`.
resource deployerData 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(dataAccount.id, deployerPrincipalId, roles.storageBlobDataContributor)
  scope: dataAccount
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}
