// The workflow's Function App on the Flex Consumption plan (.NET isolated). It runs as its user-assigned identity
// everywhere: host storage and the Durable task hub (AzureWebJobsStorage, the app's own account), the workflow's data
// and its blob triggers (CkiStorage, the data account), the app
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
@description('The app\'s own account: host storage, the Durable task hub, the package container.')
param hostStorageAccountName string
param hostBlobEndpoint string
param deploymentContainer string
@description('The workflow\'s data account (checkpoints, data, runs, integrated): the CkiStorage connection.')
param dataBlobEndpoint string
param dataQueueEndpoint string
param insightsConnectionString string
param maxInstances int
param kubernetesServer string
@description('The cluster\'s CA certificate (base64 PEM, public); empty until the postprovision hook has read it once.')
param kubernetesCertificateAuthority string
param jobsNamespace string
param computeImage string
param computeServiceAccount string
@description('Client id of an Entra ID app registration: when given, App Service Authentication (Easy Auth) signs every caller of the HTTP API and dashboard in with Entra ID first. Empty: off.')
param authClientId string
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
          value: '${hostBlobEndpoint}${deploymentContainer}'
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
        // Host storage and the Durable task hub, by identity (no AccountKey, no SAS), on the app's own account.
        { name: 'AzureWebJobsStorage__accountName', value: hostStorageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // The workflow's storage connection (CkiStorage), on the data account: the workflow's client
        // (Microsoft.Extensions.Azure) and the blob triggers (blobs, and a queue for their poison messages), by identity.
        { name: 'CkiStorage__blobServiceUri', value: dataBlobEndpoint }
        { name: 'CkiStorage__queueServiceUri', value: dataQueueEndpoint }
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

// Easy Auth, optional: an Entra ID sign-in in front of every route, so the dashboard and API are not open to whoever
// holds a URL. The blob extension's webhook stays outside it: Event Grid delivers there with the extension's key and
// cannot sign in. Function keys are still checked after it for the API's routes (the functions declare that level).
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: ['/runtime/webhooks/blobs']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: ['api://${authClientId}', authClientId]
        }
      }
    }
    login: {
      // No token store: it would need a storage secret, and the app reads no user tokens.
      tokenStore: { enabled: false }
    }
    httpSettings: { requireHttps: true }
  }
}

output name string = app.name
output hostName string = app.properties.defaultHostName
