// The AKS cluster of the compute jobs: Entra ID sign-in with Azure RBAC (no local accounts, so no cluster
// certificate to leak), an OIDC issuer and workload identity for the jobs' storage access, a small system pool, and a
// GPU pool that autoscales from 0 and carries a NoSchedule taint that only compute jobs tolerate.
param location string
param tags object
param clusterName string
param systemVmSize string
param gpuVmSize string
param gpuMaxCount int

// The taint and label the Kubernetes dispatcher's Jobs tolerate and select (KubernetesDispatcherOptions defaults).
var gpuTaint = 'cki.io/compute=gpu:NoSchedule'
var gpuPoolLabel = { 'cki.io/pool': 'gpu' }

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: clusterName
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  sku: { name: 'Base', tier: 'Free' }
  properties: {
    dnsPrefix: clusterName
    enableRBAC: true
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
      tenantID: tenant().tenantId
    }
    oidcIssuerProfile: { enabled: true }
    securityProfile: {
      workloadIdentity: { enabled: true }
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        osType: 'Linux'
        vmSize: systemVmSize
        count: 1
        enableAutoScaling: true
        minCount: 1
        maxCount: 2
        // No CriticalAddonsOnly taint: the postprovision hook's `az aks command invoke` runs its kubectl in a pod that
        // tolerates nothing, and the GPU pool idles at 0 nodes, so this pool must take it. The jobs never land here:
        // they select the GPU pool's label.
      }
      {
        name: 'gpu'
        mode: 'User'
        osType: 'Linux'
        vmSize: gpuVmSize
        count: 0
        enableAutoScaling: true
        minCount: 0
        maxCount: gpuMaxCount
        nodeTaints: [gpuTaint]
        nodeLabels: gpuPoolLabel
      }
    ]
  }
}

output name string = cluster.name
output fqdn string = cluster.properties.fqdn
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
output kubeletObjectId string = cluster.properties.identityProfile.kubeletidentity.objectId
