// The AKS cluster of the compute jobs: Entra ID sign-in with Azure RBAC (no local accounts, so no cluster
// certificate to leak), an OIDC issuer and workload identity for the jobs' storage access, a small system pool, and a
// GPU pool that autoscales from 0 and carries a NoSchedule taint that only compute jobs tolerate.
param location string
param tags object
param clusterName string
param systemVmSize string
param gpuVmSize string
param gpuMaxCount int
@description('Log Analytics workspace of Container Insights (job logs outlive their pods) and of the control plane\'s logs.')
param workspaceId string

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
    // Container Insights: the monitoring agent ships every container's stdout to Log Analytics, so a job's log is
    // still there after its pod is gone (ttlSecondsAfterFinished, scale-down). Entra sign-in to the workspace (no key),
    // through the data collection rule below.
    addonProfiles: {
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: workspaceId
          useAADAuth: 'true'
        }
      }
    }
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

// What Container Insights collects and where it goes: container logs (ContainerLogV2), pod inventory and events.
resource containerInsights 'Microsoft.Insights/dataCollectionRules@2022-06-01' = {
  name: 'MSCI-${location}-${clusterName}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {
    dataSources: {
      extensions: [
        {
          name: 'ContainerInsightsExtension'
          extensionName: 'ContainerInsights'
          streams: ['Microsoft-ContainerLogV2', 'Microsoft-KubeEvents', 'Microsoft-KubePodInventory']
          extensionSettings: {
            dataCollectionSettings: {
              interval: '1m'
              namespaceFilteringMode: 'Off'
              enableContainerLogV2: true
            }
          }
        }
      ]
    }
    destinations: {
      logAnalytics: [{ name: 'workspace', workspaceResourceId: workspaceId }]
    }
    dataFlows: [
      {
        streams: ['Microsoft-ContainerLogV2', 'Microsoft-KubeEvents', 'Microsoft-KubePodInventory']
        destinations: ['workspace']
      }
    ]
  }
}

resource containerInsightsAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2022-06-01' = {
  name: 'ContainerInsightsExtension'
  scope: cluster
  properties: {
    dataCollectionRuleId: containerInsights.id
    description: 'Container Insights of the CKI cluster.'
  }
}

// The control plane's logs: API server (throttling shows here), the autoscaler (why a GPU node was or was not added),
// and the Entra ID guard (refused tokens).
resource clusterDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: cluster
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'kube-apiserver', enabled: true }
      { category: 'kube-audit-admin', enabled: true }
      { category: 'cluster-autoscaler', enabled: true }
      { category: 'guard', enabled: true }
    ]
  }
}

output name string = cluster.name
output fqdn string = cluster.properties.fqdn
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
output kubeletObjectId string = cluster.properties.identityProfile.kubeletidentity.objectId
