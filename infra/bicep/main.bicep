// CKI in Azure: the workflow as a Function App (Flex Consumption), compute jobs as Kubernetes Jobs on an AKS GPU
// pool, one storage account for the app's own state and one for checkpoints, runs and outputs. No account keys anywhere: every client signs in
// with Entra ID through a managed identity, and each identity holds only the roles its part needs.
targetScope = 'subscription'

@description('azd environment name; names and tags derive from it.')
@minLength(1)
@maxLength(40)
param environmentName string

// The regions that offered the Flex Consumption plan when this was written (az functionapp list-flexconsumption-locations);
// azd offers only these when it asks. The preprovision hook checks the live list, the GPU size and its quota.
@description('Azure region of every resource: one with the Flex Consumption plan and the GPU VM size.')
@metadata({ azd: { type: 'location' } })
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
param location string

@description('VM size of the GPU node pool (one GPU per node is what the jobs request).')
param gpuVmSize string = 'Standard_NC4as_T4_v3'

@description('Most GPU nodes the autoscaler may add; the pool idles at 0 nodes.')
@minValue(1)
param gpuMaxCount int = 2

@description('VM size of the system node pool (cluster services only; jobs never land there).')
param systemVmSize string = 'Standard_D2s_v5'

@description('Kubernetes namespace of the compute jobs.')
param jobsNamespace string = 'cki-jobs'

@description('Tag of the cki-compute image in the registry.')
param computeImageTag string = 'latest'

@description('Most instances of the Function App.')
@minValue(1)
param functionMaxInstances int = 40

@description('Object id of the person or pipeline running azd (AZURE_PRINCIPAL_ID): may administer the cluster, to create the jobs namespace. Empty: no such assignment.')
param deployerPrincipalId string = ''

@description('The AKS cluster\'s CA certificate (base64 PEM, public): written into azd\'s environment by the postprovision hook, so that every later provision keeps it in the app\'s settings. Empty before the cluster exists.')
param kubernetesCertificateAuthority string = ''

@description('Client id of an Entra ID app registration (CKI_AUTH_CLIENT_ID) to put Easy Auth sign-in in front of the HTTP API and dashboard; empty: off.')
param authClientId string = ''

var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'cki-resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    gpuVmSize: gpuVmSize
    gpuMaxCount: gpuMaxCount
    systemVmSize: systemVmSize
    jobsNamespace: jobsNamespace
    computeImageTag: computeImageTag
    functionMaxInstances: functionMaxInstances
    deployerPrincipalId: deployerPrincipalId
    kubernetesCertificateAuthority: kubernetesCertificateAuthority
    authClientId: authClientId
  }
}

// azd reads these into its environment; the hooks in infra/scripts use them.
output AZURE_RESOURCE_GROUP string = group.name
// The workflow's data account (upload checkpoints here); the app's own account holds its state and package.
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output AZURE_FUNCTIONS_STORAGE_ACCOUNT_NAME string = resources.outputs.appStorageAccountName
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_AKS_CLUSTER_NAME string = resources.outputs.aksName
output AZURE_CONTAINER_REGISTRY_NAME string = resources.outputs.registryName
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = resources.outputs.registryLoginServer
output CKI_JOBS_NAMESPACE string = jobsNamespace
output CKI_COMPUTE_CLIENT_ID string = resources.outputs.computeClientId
output CKI_COMPUTE_IMAGE string = resources.outputs.computeImage
output CKI_EVENT_GRID_TOPIC string = resources.outputs.systemTopicName
output CKI_EVENT_GRID_DEAD_LETTER_CONTAINER string = resources.outputs.deadLetterContainer
