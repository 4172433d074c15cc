// Placeholder: the HubSpot connector is being written (issue 8).
export {};
