// The workflow's Function App on the Flex Consumption plan (.NET isolated). It runs as its user-assigned identity
// everywhere: host storage and the Durable task hub (AzureWebJobsStorage), the workflow's storage and its blob triggers (the one connection CkiStorage), the app
// package download, telemetry, and the Kubernetes API (Entra token for the AKS server audience). No setting holds a
// secret.
param location string
param tags object
@description('The azure.yaml service this site is: azd finds its resource by the azd-service-name tag alone, so only the site carries it.')
param serviceName string
param planName string
param appName string
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainer string
param insightsConnectionString string
param maxInstances int
param kubernetesServer string
@description('The cluster\'s CA certificate (base64 PEM, public); empty until the postprovision hook has read it once.')
param kubernetesCertificateAuthority string
param jobsNamespace string
param computeImage string
param computeServiceAccount string
@description('Most compute Jobs in flight at once (Cki__MaxJobsInFlight): what the GPU pool holds.')
param maxJobsInFlight int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  // The plan keeps the plain tags: azd refuses to deploy when two resources carry the service's tag.
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maxInstances
        instanceMemoryMB: 2048
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Host storage and the Durable task hub, by identity (no AccountKey, no SAS).
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // The one storage connection (CkiStorage): the workflow's client (Microsoft.Extensions.Azure) and the blob triggers, by identity.
        { name: 'CkiStorage__blobServiceUri', value: blobEndpoint }
        { name: 'CkiStorage__queueServiceUri', value: queueEndpoint }
        { name: 'CkiStorage__tableServiceUri', value: tableEndpoint }
        { name: 'CkiStorage__credential', value: 'managedidentity' }
        { name: 'CkiStorage__clientId', value: identityClientId }
        // The Kubernetes token uses DefaultAzureCredential with this client id.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        // Flex Consumption runs blob triggers from Event Grid only: the polling pair is off, the Event Grid pair on.
        { name: 'AzureWebJobs.CheckpointChanged.Disabled', value: 'true' }
        { name: 'AzureWebJobs.JobResultWritten.Disabled', value: 'true' }
        { name: 'AzureWebJobs.CheckpointChangedEventGrid.Disabled', value: 'false' }
        { name: 'AzureWebJobs.JobResultWrittenEventGrid.Disabled', value: 'false' }
        // Compute jobs as Kubernetes Jobs on the AKS GPU pool.
        { name: 'Cki__Dispatcher', value: 'kubernetes' }
        { name: 'Cki__KubernetesServer', value: kubernetesServer }
        // Kept here (from azd's environment) rather than set by a hook alone: a provision rewrites the settings whole.
        { name: 'Cki__KubernetesCertificateAuthority', value: kubernetesCertificateAuthority }
        { name: 'Cki__KubernetesNamespace', value: jobsNamespace }
        { name: 'Cki__ComputeImage', value: computeImage }
        { name: 'Cki__ComputeServiceAccount', value: computeServiceAccount }
        // More Jobs than the pool holds would wait Pending, their active deadline running: they wait suspended instead.
        { name: 'Cki__MaxJobsInFlight', value: string(maxJobsInFlight) }
        { name: 'Cki__NightlySchedule', value: '0 0 2 * * *' }
        // Telemetry with the identity (the Application Insights resource has local auth off).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
      ]
    }
  }
}

output name string = app.name
output hostName string = app.properties.defaultHostName
