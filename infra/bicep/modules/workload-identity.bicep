// Trusts tokens of the jobs' Kubernetes service account as the compute identity (workload identity federation):
// a pod that runs as that service account gets Entra tokens for storage, and no other pod does.
param computeIdentityName string
param issuerUrl string
param jobsNamespace string
param serviceAccount string

resource computeIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: computeIdentityName
}

resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: computeIdentity
  name: 'aks-${serviceAccount}'
  properties: {
    issuer: issuerUrl
    subject: 'system:serviceaccount:${jobsNamespace}:${serviceAccount}'
    audiences: ['api://AzureADTokenExchange']
  }
}
