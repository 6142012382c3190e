// Every role assignment of the deployment, each the least its principal needs:
// - the Function App's identity: blob, queue and table data on its account (workflow containers, host storage,
//   Durable task hub, trigger queues), telemetry ingestion, and Jobs in the jobs namespace only;
// - the compute identity: blob data on the account, nothing else;
// - the kubelet identity: image pulls from the registry;
// - the deployer (optional): cluster admin, to create the jobs namespace and its service account.
param storageAccountName string
param registryName string
param clusterName string
param insightsName string
param jobsNamespace string
param functionPrincipalId string
param computePrincipalId string
param kubeletObjectId string
param deployerPrincipalId string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
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

resource functionBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, functionPrincipalId, roles.storageBlobDataContributor)
  scope: account
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource functionQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, functionPrincipalId, roles.storageQueueDataContributor)
  scope: account
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource functionTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, functionPrincipalId, roles.storageTableDataContributor)
  scope: account
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
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

resource computeBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, computePrincipalId, roles.storageBlobDataContributor)
  scope: account
  properties: {
    principalId: computePrincipalId
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
