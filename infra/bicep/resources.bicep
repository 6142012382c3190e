// Everything in the resource group, wired together. Each module holds one kind of resource; access.bicep holds
// every role assignment, so that what may do what is read in one place.
param environmentName string
param location string
param tags object
param gpuVmSize string
param gpuMaxCount int
param systemVmSize string
param jobsNamespace string
param computeImageTag string
param functionMaxInstances int
param deployerPrincipalId string
param kubernetesCertificateAuthority string
param authClientId string

// The service account the compute jobs run as; its federated credential names it.
var computeServiceAccount = 'cki-compute'
var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${token}'
    insightsName: 'appi-${token}'
  }
}

// The containers of the design (Cki.Contracts BlobLayout), on the data account.
var dataContainers = ['checkpoints', 'data', 'runs', 'integrated']
// The container Flex Consumption deploys the app package from, on the app's own account.
var deploymentContainer = 'app-package'
// Events Event Grid could not deliver to the blob triggers, on the app's own account (event-subscriptions.bicep).
var deadLetterContainer = 'eventgrid-deadletter'

// The Function App's own state: host containers and locks, the Durable task hub, the app package.
module appStorage 'modules/storage.bicep' = {
  name: 'app-storage'
  params: {
    location: location
    tags: tags
    accountName: 'stfn${token}'
    containers: [deploymentContainer, deadLetterContainer]
    workspaceId: monitoring.outputs.workspaceId
  }
}

// The workflow's data: checkpoints, datasets, runs, integrated models. The jobs reach this account only.
module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    accountName: 'st${token}'
    containers: dataContainers
    workspaceId: monitoring.outputs.workspaceId
  }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    tags: tags
    functionIdentityName: 'id-func-${token}'
    computeIdentityName: 'id-compute-${token}'
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    tags: tags
    registryName: 'cr${token}'
  }
}

module aks 'modules/aks.bicep' = {
  name: 'aks'
  params: {
    location: location
    tags: tags
    clusterName: 'aks-${token}'
    systemVmSize: systemVmSize
    gpuVmSize: gpuVmSize
    gpuMaxCount: gpuMaxCount
    workspaceId: monitoring.outputs.workspaceId
  }
}

module workloadIdentity 'modules/workload-identity.bicep' = {
  name: 'workload-identity'
  params: {
    computeIdentityName: identities.outputs.computeIdentityName
    issuerUrl: aks.outputs.oidcIssuerUrl
    jobsNamespace: jobsNamespace
    serviceAccount: computeServiceAccount
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    tags: tags
    serviceName: 'functions'
    planName: 'plan-${token}'
    appName: 'func-${token}'
    identityId: identities.outputs.functionIdentityId
    identityClientId: identities.outputs.functionClientId
    hostStorageAccountName: appStorage.outputs.accountName
    hostBlobEndpoint: appStorage.outputs.blobEndpoint
    deploymentContainer: deploymentContainer
    dataBlobEndpoint: storage.outputs.blobEndpoint
    dataQueueEndpoint: storage.outputs.queueEndpoint
    insightsConnectionString: monitoring.outputs.insightsConnectionString
    maxInstances: functionMaxInstances
    kubernetesServer: 'https://${aks.outputs.fqdn}'
    kubernetesCertificateAuthority: kubernetesCertificateAuthority
    authClientId: authClientId
    jobsNamespace: jobsNamespace
    computeImage: '${registry.outputs.loginServer}/cki-compute:${computeImageTag}'
    computeServiceAccount: computeServiceAccount
    // One job per GPU node (each GPU job takes the node's one GPU).
    maxJobsInFlight: gpuMaxCount
  }
}

module events 'modules/event-grid.bicep' = {
  name: 'event-grid'
  params: {
    location: location
    tags: tags
    topicName: 'evgt-${token}'
    storageAccountName: storage.outputs.accountName
    workspaceId: monitoring.outputs.workspaceId
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  params: {
    hostStorageAccountName: appStorage.outputs.accountName
    dataStorageAccountName: storage.outputs.accountName
    registryName: registry.outputs.name
    clusterName: aks.outputs.name
    insightsName: monitoring.outputs.insightsName
    jobsNamespace: jobsNamespace
    functionPrincipalId: identities.outputs.functionPrincipalId
    computePrincipalId: identities.outputs.computePrincipalId
    kubeletObjectId: aks.outputs.kubeletObjectId
    deployerPrincipalId: deployerPrincipalId
    eventGridPrincipalId: events.outputs.principalId
    deadLetterContainer: deadLetterContainer
  }
}

output storageAccountName string = storage.outputs.accountName
output appStorageAccountName string = appStorage.outputs.accountName
output functionAppName string = functionApp.outputs.name
output aksName string = aks.outputs.name
output registryName string = registry.outputs.name
output registryLoginServer string = registry.outputs.loginServer
output computeClientId string = identities.outputs.computeClientId
output computeImage string = '${registry.outputs.loginServer}/cki-compute:${computeImageTag}'
output systemTopicName string = events.outputs.topicName
output deadLetterContainer string = deadLetterContainer
